package dev.sextant.eval.load;

/**
 * Progress of a run, for logging the steps of a long sweep. Called on the thread that called the generator.
 */
public interface LoadListener {

    LoadListener NONE = new LoadListener() {
    };

    default void stepStarted(StepSpec step) {
    }

    /** No further request of the step will be started; those in flight are still running. */
    default void scheduleFinished(StepSpec step) {
    }

    default void stepFinished(StepResult result) {
    }
}
