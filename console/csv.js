// RFC 4180 CSV: reading a cohort file and writing the assignment the way the
// CLI's `pollinator cohort` does (tools/cli/cohort_command.cc).

// Rows of fields. Quoted fields may hold commas, quotes ("") and line breaks;
// a UTF-8 byte-order mark and blank lines are skipped.
export function parseCsv(text) {
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
    } else if (c === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i += 1;
    }
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

// The member ids of a cohort CSV: its profile_id column, or else its id
// column, as the CLI reads them. Throws naming the row at fault.
export function readCohortCsv(text) {
  const rows = parseCsv(text);
  if (rows.length === 0) throw new Error('the file is empty');
  const header = rows[0].map((name) => name.trim());
  let column = header.indexOf('profile_id');
  if (column < 0) column = header.indexOf('id');
  if (column < 0) throw new Error('needs a profile_id (or id) column in its header');
  const members = [];
  rows.slice(1).forEach((row, index) => {
    const id = (row[column] ?? '').trim();
    if (id === '') throw new Error(`row ${index + 2}: empty profile_id`);
    members.push(id);
  });
  if (members.length === 0) throw new Error('no members');
  return members;
}

// A field quoted when it needs to be, as the CLI quotes it.
export function csvField(text) {
  const value = String(text);
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvText(rows) {
  return rows.map((fields) => `${fields.map(csvField).join(',')}\n`).join('');
}
