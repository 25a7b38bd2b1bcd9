package org.pdrecon.iterative;

/** Called once after every solver iteration with a read-only view of the solver's state. */
@FunctionalInterface
public interface IterationListener {
    void onIteration(IterationView view);
}
