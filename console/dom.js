// Builds the page from API data and reports to the user. Everything the API
// returns goes in as text (never as HTML): profile texts are user data.

// el('td', {className: 'num'}, '0.712') -> <td class="num">0.712</td>.
// Attributes are set as given; `on<event>` adds a listener. Children are
// nodes or strings (strings become text nodes); null and false are skipped.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') {
      node.className = value;
    } else if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function $(id) {
  return document.getElementById(id);
}

// "0.712": scores and their components, as the CLI prints them.
export function fixed3(value) {
  return (value ?? 0).toFixed(3);
}

// Reports a failed call in the alert region: "UNAUTHENTICATED: API key not
// recognised". Any other error is a bug of the console and says so.
export function showError(error) {
  const text = error?.status ? `${error.status}: ${error.message}` : `Unexpected error: ${error?.message ?? error}`;
  $('error').textContent = text;
  if (error instanceof FormError && error.input) {
    const input = error.input;
    input.setAttribute('aria-invalid', 'true');
    input.addEventListener('input', () => input.removeAttribute('aria-invalid'), {once: true});
    input.focus();
  }
  return text;
}

export function announce(text) {
  $('status').textContent = text;
}

export function clearMessages() {
  $('error').textContent = '';
  $('status').textContent = '';
}

// Runs `action` with `button` disabled (so a slow call is not sent twice)
// and any error shown; resolves to the action's result or undefined.
export async function busy(button, action) {
  clearMessages();
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (error) {
    showError(error);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

// An integer form field within [min, max]; an empty field gives `fallback`.
export function readInteger(input, min, max, fallback) {
  const text = input.value.trim();
  if (text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new FormError(`${labelOf(input)}: must be a whole number from ${min} to ${max}`, input);
  }
  return value;
}

// A number in [0, 1], or undefined when the field is empty.
export function readFraction(input) {
  const text = input.value.trim();
  if (text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new FormError(`${labelOf(input)}: must be a number from 0 to 1`, input);
  }
  return value;
}

// A mistake in a form, found before anything is sent. showError shows it
// like an API error, marks the field invalid and focuses it.
export class FormError extends Error {
  constructor(message, input) {
    super(message);
    this.status = 'INVALID_ARGUMENT';
    this.input = input;
  }
}

function labelOf(input) {
  return input.labels?.[0]?.textContent.trim() ?? input.id;
}

// Moves the keyboard focus to a heading (tabindex=-1) so that the next Tab
// continues from what just appeared.
export function focusHeading(heading) {
  heading.focus({preventScroll: false});
}
