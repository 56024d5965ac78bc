import sys

from depositdesk.app.cli import main

if __name__ == "__main__":
    # The validators and the ontology build use worker processes; in the frozen
    # (PyInstaller) app those workers re-enter here and must be routed first.
    # Imported only there: every other command (an upload) starts without it.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
