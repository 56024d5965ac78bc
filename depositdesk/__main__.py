import sys

from depositdesk.app.cli import main

sys.exit(main())
