import multiprocessing
import sys

from depositdesk.app.cli import main

if __name__ == "__main__":
    # The validators and the ontology build use worker processes; in the frozen
    # (PyInstaller) app those workers re-enter here and must be routed first.
    multiprocessing.freeze_support()
    sys.exit(main())
