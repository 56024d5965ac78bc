"""The file list stage of BIA's RO-Crate validator (bia-ro-crate TSVMetadataParser/FileListParser).

The file list is read as pandas reads it there (`read_csv(delimiter="\\t")`: the first line is
the header, an empty cell is missing); cells of the multi-valued columns are lists ("[a, 'b']"
or "a, b"). Checked: the schema has a bia:filePath and a schema:isPartOf column; file paths are
unique; a reference to an entity names one of ro-crate-metadata.json of the expected class
(the first bad one per row); a reference to another row (bia:associatedSourceImage) names a
row, by schema:name or file path, whose rdf:type is bia:Image.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from depositdesk.packaging.bia import crate_models as cm

if TYPE_CHECKING:
    from depositdesk.packaging.bia.crate_check import CrateCheck

SPLIT = re.compile(r"\s*,\s*")
Row = dict[str, Any]


def _cell_list(value: Any) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return []
    parts = SPLIT.split(value.strip().strip("[] "))
    return [p.strip().strip("\"'") for p in parts if p.strip()]


def _schema(check: CrateCheck, file_list: cm.FileList) -> list[cm.Column] | None:
    schema = check.entities.get(file_list.tableSchema.id)
    if not isinstance(schema, cm.TableSchema):
        check.add(f"TableSchema {file_list.tableSchema.id} of file list {file_list.id} is not described "
                  "in ro-crate-metadata.json")
        return None
    columns = []
    for ref in schema.column:
        column = check.entities.get(ref.id)
        if not isinstance(column, cm.Column):
            check.add(f"Column {ref.id} of TableSchema {schema.id} is not described in ro-crate-metadata.json")
            return None
        columns.append(column)
    properties = {c.propertyUrl for c in columns if c.propertyUrl}
    for required in (cm.BIA + "filePath", cm.SCHEMA + "isPartOf"):
        if required not in properties:
            check.add(f"Missing column with required property: {required}", location=(
                f"At file list {file_list.id} and TableSchema {schema.id}"))
    return columns


def _read_rows(check: CrateCheck, path: Path, columns: list[cm.Column]) -> list[Row] | None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = [cells for cells in csv.reader(handle, delimiter="\t") if cells]   # pandas skips blank lines
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        check.add(f"File list {path.name} cannot be read: {getattr(exc, 'strerror', None) or exc}")
        return None
    if not lines:
        check.add(f"File list {path.name} is empty (no header line)")
        return None
    header = lines[0]
    unknown = [h for h in header if h not in {c.columnName for c in columns}]
    if unknown:
        check.add(f"Schema does not contain columns with names that match data columns: {set(unknown)}")
    missing = [c.columnName for c in columns if c.columnName not in header]
    if missing:
        check.add(f"File list {path.name} has no column {', '.join(missing)} described by its schema")
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if len(cells) > len(header):
            check.add(f"File list {path.name}, line {number}: more cells than the header has")
            continue
        rows.append({h: (cells[i] if i < len(cells) and cells[i] != "" else None) for i, h in enumerate(header)})
    return None if unknown or missing else rows


def check_file_list(check: CrateCheck, file_list: cm.FileList) -> set[str]:
    """Run the file-list stage; return the @ids its rows reference (for the connectivity check)."""
    columns = _schema(check, file_list)
    check.stop_on_errors()
    assert columns is not None
    path = check.folder / unquote(file_list.id)
    if quote(unquote(file_list.id)) != file_list.id and not path.is_file():
        path = check.folder / file_list.id
    if not path.is_file():
        check.add(f"File list {path} not found")
        check.stop_on_errors()
    rows = _read_rows(check, path, columns)
    check.stop_on_errors()
    assert rows is not None
    by_property = {c.propertyUrl: c.columnName for c in columns if c.propertyUrl}
    path_column = by_property[cm.BIA + "filePath"]
    paths = [row[path_column] for row in rows]
    if len(set(paths)) != len(paths):
        check.add("File list contains multiple references to the same file path.")
    for column in columns:
        if column.propertyUrl in cm.MULTIVALUED:
            for row in rows:
                row[column.columnName] = _cell_list(row[column.columnName])
    _entity_references(check, rows, columns, path_column)
    _row_references(check, rows, columns, by_property, path_column)
    check.stop_on_errors()
    referenced: set[str] = set()
    for column in columns:
        if column.propertyUrl in cm.FILE_LIST_REFERENCES:
            for row in rows:
                value = row[column.columnName]
                referenced.update(value if isinstance(value, list) else [value] if value else [])
    return referenced


def _entity_references(check: CrateCheck, rows: list[Row], columns: list[cm.Column], path_column: str) -> None:
    to_check = {c.columnName: cm.FILE_LIST_REFERENCES[c.propertyUrl] for c in columns
                if c.propertyUrl in cm.FILE_LIST_REFERENCES}
    for row in rows:
        for column, expected in to_check.items():
            values = row[column]
            message = None
            for reference in values if isinstance(values, list) else [values] if values is not None else []:
                if reference not in check.entities:
                    message = f"{reference} does not exist in ro-crate-metadata.json"
                elif not isinstance(check.entities[reference], expected):
                    message = f"{reference} references an object of unexpected type."
                if message:
                    break
            if message:
                check.add(message, location=f"In file list, at row: {row[path_column]}.")
                break


def _row_references(check: CrateCheck, rows: list[Row], columns: list[cm.Column], by_property: dict[str, str],
                    path_column: str) -> None:
    to_check = {c.columnName: cm.SELF_REFERENCES[c.propertyUrl] for c in columns
                if c.propertyUrl in cm.SELF_REFERENCES}
    if not to_check:
        return
    type_column = by_property.get(cm.RDF_TYPE)
    if not type_column:
        check.add(f"File list contains columns that reference others ({', '.join(to_check)}) but no column "
                  "with propertyUrl rdf:type.")
        return
    by_path = {row[path_column]: row[type_column] for row in rows}
    name_column = by_property.get(cm.SCHEMA + "name")
    by_name = {row[name_column]: row[type_column] for row in rows} if name_column else {}
    for row in rows:
        where = f"In file list, at row: {row[path_column]}"
        for column, expected in to_check.items():
            values = row[column]
            for reference in values if isinstance(values, list) else [values] if values is not None else []:
                if reference in by_name:
                    actual = by_name[reference]
                elif reference in by_path:
                    actual = by_path[reference]
                else:
                    check.add(f"Reference '{reference}' not found in file list.", location=where)
                    continue
                if not actual:
                    check.add(f"Reference '{reference}' has no rdf:type, expected '{expected}'.", location=where)
                elif actual != expected:
                    check.add(f"Reference '{reference}' has rdf:type '{actual}', expected '{expected}'.",
                              location=where)
