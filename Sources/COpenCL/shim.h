// The OpenCL 1.2 C API, from the Khronos headers (Debian: opencl-headers) and the ICD loader
// (Debian: ocl-icd-opencl-dev). Keel targets OpenCL 1.2 so it runs on every OpenCL device.
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
