// Optimiser steps: one kernel per rule of OptimizerUpdate, fused, updating the parameter theta and
// the rule's state buffers in place. Every kernel takes (theta, gradient, state buffers in the rule's
// order, count, rate, decay, the rule's hyper-parameters) and uses g = gradient + decay * theta
// (g = gradient when decay is 0, so an infinite theta does not make g NaN through 0 * inf).
//
// Global size: ceil(count / 8); work-item w updates elements [8w, 8w + 8).

// This work-item's elements of buffer p, and storing v there.
#define LOAD(p) load8((p) + first, valid, 0.0f)
#define STORE(v, p) store8((v), (p) + first, valid)

// Declares `first` and `valid` (this work-item's elements), the parameters `w` and the decayed
// gradient `g`, or returns past the end.
#define BEGIN_STEP                                                                                          \
    const int first = get_global_id(0) * 8;                                                               \
    if (first >= count) return;                                                                           \
    const int valid = min(8, count - first);                                                              \
    const float8 w = LOAD(theta);                                                                         \
    const float8 g = decay == 0.0f ? LOAD(gradient) : LOAD(gradient) + decay * w;

// theta -= rate * g
__kernel void optimizer_sgd(__global float* theta, __global const float* gradient, const int count,
                            const float rate, const float decay)
{
    BEGIN_STEP
    STORE(w - rate * g, theta);
}

// v = mu * v + rate * g; theta -= v
__kernel void optimizer_momentum(__global float* theta, __global const float* gradient, __global float* velocity,
                                 const int count, const float rate, const float decay, const float mu)
{
    BEGIN_STEP
    const float8 v = mu * LOAD(velocity) + rate * g;
    STORE(v, velocity);
    STORE(w - v, theta);
}

// v = mu * v + rate * g; theta -= mu * v + rate * g
__kernel void optimizer_nesterov(__global float* theta, __global const float* gradient, __global float* velocity,
                                 const int count, const float rate, const float decay, const float mu)
{
    BEGIN_STEP
    const float8 step = rate * g;
    const float8 v = mu * LOAD(velocity) + step;
    STORE(v, velocity);
    STORE(w - (mu * v + step), theta);
}

// s += g^2; theta -= rate * g / (sqrt(s) + epsilon)
__kernel void optimizer_adagrad(__global float* theta, __global const float* gradient, __global float* squares,
                                const int count, const float rate, const float decay, const float epsilon)
{
    BEGIN_STEP
    const float8 s = LOAD(squares) + g * g;
    STORE(s, squares);
    STORE(w - rate * g / (sqrt(s) + epsilon), theta);
}

// s = rho * s + (1 - rho) * g^2; theta -= rate * g / (sqrt(s) + epsilon)
__kernel void optimizer_rmsprop(__global float* theta, __global const float* gradient, __global float* squares,
                                const int count, const float rate, const float decay, const float rho, const float epsilon)
{
    BEGIN_STEP
    const float8 s = rho * LOAD(squares) + (1.0f - rho) * (g * g);
    STORE(s, squares);
    STORE(w - rate * g / (sqrt(s) + epsilon), theta);
}

// s = rho * s + (1 - rho) * g^2; delta = sqrt(u + epsilon) / sqrt(s + epsilon) * g;
// u = rho * u + (1 - rho) * delta^2; theta -= rate * delta
__kernel void optimizer_adadelta(__global float* theta, __global const float* gradient, __global float* squares,
                                 __global float* updates, const int count, const float rate, const float decay,
                                 const float rho, const float epsilon)
{
    BEGIN_STEP
    const float8 s = rho * LOAD(squares) + (1.0f - rho) * (g * g);
    const float8 u = LOAD(updates);
    const float8 delta = sqrt(u + epsilon) / sqrt(s + epsilon) * g;
    STORE(s, squares);
    STORE(rho * u + (1.0f - rho) * (delta * delta), updates);
    STORE(w - rate * delta, theta);
}

// m = beta1 * m + (1 - beta1) * g; v = beta2 * v + (1 - beta2) * g^2;
// theta -= rate * (m / correction1) / (sqrt(v / correction2) + epsilon), correction = 1 - beta^t
__kernel void optimizer_adam(__global float* theta, __global const float* gradient, __global float* means,
                             __global float* variances, const int count, const float rate, const float decay,
                             const float beta1, const float beta2, const float epsilon,
                             const float correction1, const float correction2)
{
    BEGIN_STEP
    const float8 m = beta1 * LOAD(means) + (1.0f - beta1) * g;
    const float8 v = beta2 * LOAD(variances) + (1.0f - beta2) * (g * g);
    STORE(m, means);
    STORE(v, variances);
    STORE(w - rate * (m / correction1) / (sqrt(v / correction2) + epsilon), theta);
}
