"""depositdesk.magetab: IDF and SDRF as data (no Qt).

- `idf` / `sdrf`: the two documents; every edit of an SDRF notifies listeners
  before and after (the grid model adapts them), and returns what it replaced.
- `columns` / `grammar`: the SDRF column grammar (MAGE-TAB 1.1, BIR-TAB order).
- `textio`, `reader`, `idf_reader`, `xlsx`: tolerant reading (each oddity a
  finding), canonical atomic writing, Excel with every cell kept as text.
- `opening` / `project`: a project folder, its atomic saves and autosave journal.
- `graph`: the experiment graph; `trace(file)` walks a data file back to its source.
- `rules`: `check_project`, the grammar and structural checks; codes in `codes`.
- `commands`: ``depositdesk check`` and ``depositdesk convert``.
"""
