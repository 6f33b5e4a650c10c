package org.chorus.panel;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPSolver;
import org.chorus.core.ChorusException;

/** OR-Tools, loaded once from the natives inside its Maven Central jar (nothing is downloaded). */
final class Solvers {
  private static boolean loaded;

  private Solvers() {}

  static synchronized void load() {
    if (!loaded) {
      try {
        Loader.loadNativeLibraries();
      } catch (UnsatisfiedLinkError e) {
        throw new ChorusException(ChorusException.EXIT_FAILURE,
            "cannot load the OR-Tools natives for " + System.getProperty("os.name") + "/"
                + System.getProperty("os.arch") + ": " + e.getMessage(), e);
      }
      loaded = true;
    }
  }

  /** A new solver by OR-Tools id (GLOP, SCIP). */
  static MPSolver create(String id) {
    load();
    MPSolver s = MPSolver.createSolver(id);
    if (s == null) {
      throw new ChorusException(ChorusException.EXIT_FAILURE, "OR-Tools has no " + id + " solver in this build");
    }
    return s;
  }
}
