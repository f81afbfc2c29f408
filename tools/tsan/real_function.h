// The real definition of a function this build interposes for
// ThreadSanitizer (tools/tsan/): the one in the next library after ours.
#ifndef POLLINATOR_TOOLS_TSAN_REAL_FUNCTION_H_
#define POLLINATOR_TOOLS_TSAN_REAL_FUNCTION_H_

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

namespace pollinator::tsan {

// The real function behind `name` (mangled for C++), in the next library
// that defines it. A missing symbol means another release of that library
// than these files were written for: stop rather than run unannotated.
template <typename Function>
Function Real(const char* name) {
  void* symbol = dlsym(RTLD_NEXT, name);
  if (symbol == nullptr) {
    std::fprintf(stderr,
                 "tsan annotations: %s not found in the next library (%s); "
                 "tools/tsan/ needs its names updated\n",
                 name, dlerror());
    std::abort();
  }
  return reinterpret_cast<Function>(symbol);
}

}  // namespace pollinator::tsan

#endif  // POLLINATOR_TOOLS_TSAN_REAL_FUNCTION_H_
