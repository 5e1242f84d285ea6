// libFuzzer's entry point for programs that have their own main (compiler-rt, FuzzerInterface.h).
// Declared only: it is linked by `-sanitize=fuzzer`, and called only in FUZZING builds.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
