/*
 * clblast_sgemm.c - the CLBlast peer for keel-benchmarks.
 *
 * Times row-major C = A * B (CLBlastSgemm, no transposes, alpha 1, beta 0) on one OpenCL
 * device, either with CLBlast's built-in database ("untuned") or with parameters produced by
 * CLBlast's own tuners for this device (read from a parameter file, see README.md / tune.sh).
 *
 * Build: cc -O2 -Wall -Wextra -o /tmp/clblast_sgemm Benchmarks/clblast/clblast_sgemm.c -lclblast -lOpenCL
 *
 * Usage: clblast_sgemm [-platform P] [-device D] [-params FILE] [-seconds S]
 *                      [-force direct|indirect] [MxKxN ...]
 *   -params FILE   apply tuned parameters (lines "KernelName NAME=VALUE ..."; '#' comments)
 *   -seconds S     timing budget per shape after warm-up (default 1.0)
 *   -force MODE    override GemmRoutine XGEMM_MIN_INDIRECT_SIZE so that CLBlast always takes the
 *                  direct (single-kernel) or the indirect (pad/transpose + Xgemm) path
 *   MxKxN          shapes; A is MxK, B is KxN, C is MxN
 *                  (default: 1024x1024x1024 128x784x100 128x784x1200 5000x784x100)
 *
 * Output: one JSON object per shape on stdout, e.g.
 *   {"library":"clblast","tuned":true,"m":1024,"k":1024,"n":1024,"median_ms":...,
 *    "gflops":...,"first_call_ms":...,"runs":...,"path":"indirect","max_rel_err":...}
 * "path" is the GEMM path CLBlast selects (m*n*k < XGEMM_MIN_INDIRECT_SIZE^3 means direct); it is
 * "db-default" when the threshold comes from CLBlast's built-in database (not visible via the API).
 * Diagnostics go to stderr; the exit status is non-zero on any error.
 */
#define _POSIX_C_SOURCE 200809L
#define CL_TARGET_OPENCL_VERSION 120
#include <clblast_c.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SHAPES 64
#define MAX_KERNELS 16
#define MAX_PARAMS 32
#define MAX_RUNS 100000

typedef struct {
  char kernel[64];
  size_t count;
  char *names[MAX_PARAMS];
  size_t values[MAX_PARAMS];
} KernelParams;

static double absd(double x) { return x < 0 ? -x : x; }

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, int code) {
  fprintf(stderr, "clblast_sgemm: %s failed (status %d)\n", what, code);
  exit(1);
}

static int cmp_double(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Parses "KernelName NAME=VALUE NAME=VALUE ..." lines. Returns the number of kernels. */
static size_t read_params(const char *path, KernelParams *out, size_t max_kernels) {
  FILE *f = fopen(path, "r");
  if (!f) { fprintf(stderr, "clblast_sgemm: cannot open '%s'\n", path); exit(1); }
  char line[4096];
  size_t n = 0;
  while (fgets(line, sizeof line, f)) {
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    char *save = NULL;
    char *tok = strtok_r(line, " \t\r\n", &save);
    if (!tok) continue;
    if (n == max_kernels) { fprintf(stderr, "clblast_sgemm: too many kernels in '%s'\n", path); exit(1); }
    KernelParams *kp = &out[n++];
    memset(kp, 0, sizeof *kp);
    snprintf(kp->kernel, sizeof kp->kernel, "%s", tok);
    while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
      char *eq = strchr(tok, '=');
      if (!eq || kp->count == MAX_PARAMS) {
        fprintf(stderr, "clblast_sgemm: bad parameter '%s' for kernel %s\n", tok, kp->kernel);
        exit(1);
      }
      *eq = '\0';
      kp->names[kp->count] = strdup(tok);
      kp->values[kp->count] = (size_t)strtoull(eq + 1, NULL, 10);
      kp->count++;
    }
  }
  fclose(f);
  return n;
}

static void apply_params(cl_device_id device, const KernelParams *kp) {
  CLBlastStatusCode s = CLBlastOverrideParameters(device, kp->kernel, CLBlastPrecisionSingle, kp->count,
                                                  (const char **)kp->names, kp->values);
  if (s != CLBlastSuccess) {
    fprintf(stderr, "clblast_sgemm: CLBlastOverrideParameters(%s) failed with status %d\n", kp->kernel, (int)s);
    exit(1);
  }
  fprintf(stderr, "clblast_sgemm: applied %zu parameter(s) for %s\n", kp->count, kp->kernel);
}

static float frand(unsigned *state) {
  *state = *state * 1664525u + 1013904223u;
  return (float)((*state >> 8) & 0xFFFF) / 32768.0f - 1.0f;
}

int main(int argc, char **argv) {
  cl_uint platform_index = 0, device_index = 0;
  const char *params_path = NULL, *force = NULL;
  double budget = 1.0;
  size_t shapes[MAX_SHAPES][3];
  size_t num_shapes = 0;

  for (int i = 1; i < argc; ++i) {
    const int has_value = i + 1 < argc;
    if (!strcmp(argv[i], "-platform") && has_value) platform_index = (cl_uint)atoi(argv[++i]);
    else if (!strcmp(argv[i], "-device") && has_value) device_index = (cl_uint)atoi(argv[++i]);
    else if (!strcmp(argv[i], "-params") && has_value) params_path = argv[++i];
    else if (!strcmp(argv[i], "-seconds") && has_value) budget = atof(argv[++i]);
    else if (!strcmp(argv[i], "-force") && has_value) force = argv[++i];
    else {
      unsigned long m, k, n;
      char tail;
      if (num_shapes == MAX_SHAPES || sscanf(argv[i], "%lux%lux%lu%c", &m, &k, &n, &tail) != 3 ||
          m == 0 || k == 0 || n == 0) {
        fprintf(stderr, "usage: %s [-platform P] [-device D] [-params FILE] [-seconds S] "
                        "[-force direct|indirect] [MxKxN ...]\n", argv[0]);
        return 2;
      }
      shapes[num_shapes][0] = m; shapes[num_shapes][1] = k; shapes[num_shapes][2] = n;
      num_shapes++;
    }
  }
  if (force && strcmp(force, "direct") && strcmp(force, "indirect")) {
    fprintf(stderr, "clblast_sgemm: -force takes 'direct' or 'indirect'\n");
    return 2;
  }
  if (num_shapes == 0) {
    const size_t defaults[4][3] = {{1024, 1024, 1024}, {128, 784, 100}, {128, 784, 1200}, {5000, 784, 100}};
    memcpy(shapes, defaults, sizeof defaults);
    num_shapes = 4;
  }

  /* OpenCL set-up */
  cl_int err;
  cl_uint num_platforms = 0, num_devices = 0;
  cl_platform_id platforms[16];
  cl_device_id devices[16];
  err = clGetPlatformIDs(16, platforms, &num_platforms);
  if (err != CL_SUCCESS || platform_index >= num_platforms) die("clGetPlatformIDs / platform index", err);
  err = clGetDeviceIDs(platforms[platform_index], CL_DEVICE_TYPE_ALL, 16, devices, &num_devices);
  if (err != CL_SUCCESS || device_index >= num_devices) die("clGetDeviceIDs / device index", err);
  cl_device_id device = devices[device_index];
  char device_name[256] = {0};
  clGetDeviceInfo(device, CL_DEVICE_NAME, sizeof device_name - 1, device_name, NULL);
  cl_context context = clCreateContext(NULL, 1, &device, NULL, NULL, &err);
  if (err != CL_SUCCESS) die("clCreateContext", err);
  cl_command_queue queue = clCreateCommandQueue(context, device, 0, &err);
  if (err != CL_SUCCESS) die("clCreateCommandQueue", err);
  fprintf(stderr, "clblast_sgemm: device '%s'\n", device_name);

  /* Tuned parameters (must be applied before the first CLBlast call compiles anything) */
  static KernelParams kernels[MAX_KERNELS];
  size_t num_kernels = params_path ? read_params(params_path, kernels, MAX_KERNELS) : 0;
  long long min_indirect = -1; /* -1: unknown (built-in database) */
  for (size_t i = 0; i < num_kernels; ++i) {
    apply_params(device, &kernels[i]);
    if (!strcmp(kernels[i].kernel, "GemmRoutine")) {
      for (size_t j = 0; j < kernels[i].count; ++j)
        if (!strcmp(kernels[i].names[j], "XGEMM_MIN_INDIRECT_SIZE")) min_indirect = (long long)kernels[i].values[j];
    }
  }
  if (force) {
    KernelParams kp;
    memset(&kp, 0, sizeof kp);
    snprintf(kp.kernel, sizeof kp.kernel, "GemmRoutine");
    kp.names[0] = "XGEMM_MIN_INDIRECT_SIZE";
    kp.values[0] = !strcmp(force, "indirect") ? 0 : 1u << 20;
    kp.count = 1;
    apply_params(device, &kp);
    min_indirect = (long long)kp.values[0];
  }

  static double times[MAX_RUNS];
  for (size_t s = 0; s < num_shapes; ++s) {
    const size_t m = shapes[s][0], k = shapes[s][1], n = shapes[s][2];
    float *a = malloc(m * k * sizeof(float)), *b = malloc(k * n * sizeof(float));
    float *c = malloc(m * n * sizeof(float));
    if (!a || !b || !c) die("malloc", 0);
    unsigned seed = 12345u;
    for (size_t i = 0; i < m * k; ++i) a[i] = frand(&seed);
    for (size_t i = 0; i < k * n; ++i) b[i] = frand(&seed);

    cl_mem da = clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, m * k * sizeof(float), a, &err);
    if (err != CL_SUCCESS) die("clCreateBuffer(A)", err);
    cl_mem db = clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, k * n * sizeof(float), b, &err);
    if (err != CL_SUCCESS) die("clCreateBuffer(B)", err);
    cl_mem dc = clCreateBuffer(context, CL_MEM_READ_WRITE, m * n * sizeof(float), NULL, &err);
    if (err != CL_SUCCESS) die("clCreateBuffer(C)", err);

    size_t runs = 0;
    double first_ms = 0.0;
    double start = now_s();
    for (size_t call = 0;; ++call) {
      cl_event event = NULL;
      const double t0 = now_s();
      CLBlastStatusCode st = CLBlastSgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo,
                                          m, n, k, 1.0f, da, 0, k, db, 0, n, 0.0f, dc, 0, n, &queue, &event);
      if (st != CLBlastSuccess) die("CLBlastSgemm", st);
      err = clWaitForEvents(1, &event);
      if (err != CL_SUCCESS) die("clWaitForEvents", err);
      const double dt = now_s() - t0;
      clReleaseEvent(event);
      if (call == 0) { first_ms = dt * 1e3; continue; }  /* includes kernel compilation */
      if (call < 3) { start = now_s(); continue; }          /* two more warm-up calls */
      times[runs++] = dt;
      if (runs >= MAX_RUNS || (runs >= 5 && now_s() - start >= budget)) break;
    }
    qsort(times, runs, sizeof times[0], cmp_double);
    const double median = runs % 2 ? times[runs / 2] : 0.5 * (times[runs / 2 - 1] + times[runs / 2]);

    /* Spot-check 256 entries of C against a double-precision reference */
    err = clEnqueueReadBuffer(queue, dc, CL_TRUE, 0, m * n * sizeof(float), c, 0, NULL, NULL);
    if (err != CL_SUCCESS) die("clEnqueueReadBuffer", err);
    double max_rel = 0.0;
    for (int t = 0; t < 256; ++t) {
      const size_t i = (size_t)rand() % m, j = (size_t)rand() % n;
      double ref = 0.0, mag = 0.0;
      for (size_t p = 0; p < k; ++p) {
        ref += (double)a[i * k + p] * b[p * n + j];
        mag += absd((double)a[i * k + p] * b[p * n + j]);
      }
      const double rel = absd(c[i * n + j] - ref) / (mag > 0 ? mag : 1.0);
      if (rel > max_rel) max_rel = rel;
    }
    if (max_rel > 1e-4) fprintf(stderr, "clblast_sgemm: WARNING: %zux%zux%zu max_rel_err %.3g\n", m, k, n, max_rel);

    const char *path = "db-default";
    if (min_indirect >= 0) {
      const unsigned long long t = (unsigned long long)min_indirect;
      path = (unsigned long long)m * n * k < t * t * t ? "direct" : "indirect";
    }
    printf("{\"library\":\"clblast\",\"tuned\":%s,\"m\":%zu,\"k\":%zu,\"n\":%zu,\"median_ms\":%.4f,"
           "\"gflops\":%.2f,\"first_call_ms\":%.1f,\"runs\":%zu,\"path\":\"%s\",\"max_rel_err\":%.2e,"
           "\"device\":\"%s\"}\n",
           num_kernels ? "true" : "false", m, k, n, median * 1e3, 2.0 * m * n * k / median * 1e-9, first_ms,
           runs, path, max_rel, device_name);
    fflush(stdout);

    clReleaseMemObject(da); clReleaseMemObject(db); clReleaseMemObject(dc);
    free(a); free(b); free(c);
  }
  clReleaseCommandQueue(queue);
  clReleaseContext(context);
  return 0;
}
