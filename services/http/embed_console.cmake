# Writes a C++ source holding files as byte arrays, so that pollinatord serves
# the staff console (console/) from its own binary, with no file on disk.
# services/CMakeLists.txt runs it at build time whenever a file changes:
#
#   cmake -DSOURCE_DIR=console -DNAMES=index.html,console.js -DOUTPUT=console_files.cc -P embed_console.cmake
#
# NAMES is comma-separated (a CMake list would be split on the command line).
# The source defines EmbeddedConsoleFiles() of services/http/console_assets.h.
string(REPLACE "," ";" names "${NAMES}")
set(arrays "")
set(entries "")
set(index 0)
foreach(name IN LISTS names)
  file(READ "${SOURCE_DIR}/${name}" hex HEX)
  string(LENGTH "${hex}" digits)
  math(EXPR size "${digits} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  # Short lines keep the generated file readable in an editor.
  string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],))"
         "\\1\n    " bytes "${bytes}")
  # The trailing zero keeps an empty file's array legal; `size` excludes it.
  string(APPEND arrays "// ${name}\nconst unsigned char kFile${index}[] = {\n    ${bytes}0x00};\n\n")
  string(APPEND entries "      {\"${name}\", kFile${index}, ${size}},\n")
  math(EXPR index "${index} + 1")
endforeach()

set(source "// Generated at build time by services/http/embed_console.cmake from console/; do not edit.
#include \"services/http/console_assets.h\"

namespace pollinator {
namespace {

${arrays}}  // namespace

const std::vector<EmbeddedFile>& EmbeddedConsoleFiles() {
  static const std::vector<EmbeddedFile> kFiles = {
${entries}  };
  return kFiles;
}

}  // namespace pollinator
")
# Rewritten only when it changes, so that an unchanged console recompiles nothing.
file(CONFIGURE OUTPUT "${OUTPUT}" CONTENT "${source}" @ONLY)
