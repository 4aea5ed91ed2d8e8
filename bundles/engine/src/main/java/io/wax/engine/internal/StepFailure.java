package io.wax.engine.internal;

import io.wax.plan.UserCode;

/** User code threw inside a step; carries where, so the run can report it. */
final class StepFailure extends RuntimeException {
    final String stepId;
    final String userFunction;
    final long epoch;

    StepFailure(String stepId, Object fn, long epoch, Throwable cause) {
        super(cause.toString(), cause, false, false);
        this.stepId = stepId;
        this.userFunction = describe(fn);
        this.epoch = epoch;
    }

    static String describe(Object fn) {
        Object f = fn instanceof UserCode u ? u.userFunction() : fn;
        if (f == null) {
            return "no user function";
        }
        String name = f.getClass().getName();
        // A lambda's class is named after the class that defines it, which is what users need.
        int lambda = name.indexOf("$$Lambda");
        return "user function " + (lambda > 0 ? "lambda in " + name.substring(0, lambda) : name);
    }
}
