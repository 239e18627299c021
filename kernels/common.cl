// Common header of every liblapack_ai kernel: one precision switch, real and complex ops.
// Build with -DPRECISION=32 (float), 64 (double), 3232 (complex float), 6464 (complex
// double). Complex values are float2/double2 laid out (re, im), as Fortran COMPLEX.
// OpenCL C 1.2.

#ifndef PRECISION
#define PRECISION 64
#endif

#if PRECISION == 64 || PRECISION == 6464
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#if PRECISION == 32
typedef float real;
typedef float base;
#define IS_COMPLEX 0
#elif PRECISION == 64
typedef double real;
typedef double base;
#define IS_COMPLEX 0
#elif PRECISION == 3232
typedef float2 real;
typedef float base;
#define IS_COMPLEX 1
#elif PRECISION == 6464
typedef double2 real;
typedef double base;
#define IS_COMPLEX 1
#else
#error "PRECISION must be 32, 64, 3232 or 6464"
#endif

#define BASE_ZERO ((base)0)

#if IS_COMPLEX
#define ZERO ((real)(BASE_ZERO, BASE_ZERO))
#define CONJ(a) ((real)((a).x, -(a).y))
// a * b
#define MUL(a, b) ((real)((a).x * (b).x - (a).y * (b).y, (a).x * (b).y + (a).y * (b).x))
// c + a * b, updating c in place
#define MADD(c, a, b)                              \
  do {                                             \
    (c).x = fma((a).x, (b).x, (c).x);              \
    (c).x = fma(-(a).y, (b).y, (c).x);             \
    (c).y = fma((a).x, (b).y, (c).y);              \
    (c).y = fma((a).y, (b).x, (c).y);              \
  } while (0)
#else
#define ZERO BASE_ZERO
#define CONJ(a) (a)
#define MUL(a, b) ((a) * (b))
#define MADD(c, a, b) ((c) = fma((a), (b), (c)))
#endif
