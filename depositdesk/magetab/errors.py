"""The one exception of depositdesk.magetab: a file or folder that cannot be read at all.

Bad *content* gives findings; `ProjectError` is only for "could not run"
(missing path, binary or empty file, folder without an IDF). ``str(e)`` is
one sentence for a person, shown as is by the command line and the app.
"""

from __future__ import annotations


class ProjectError(Exception):
    """A MAGE-TAB file or project folder could not be opened or saved."""
