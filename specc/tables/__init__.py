"""Reading and writing the data files specc checks: specc's one data-access package.

`table.Table` is where a data file is read, whoever reads it (see its docstring). Beneath it:
`csv` reads CSV; `xlsx` streams an .xlsx workbook's first sheet (with `xlsx_parts`,
`xlsx_cells` and `xml_scan`); `calamine` reads .xls, and what `xlsx` leaves to it, with
python-calamine; `header` and `xlsx_header` read a header without the rows; `cells` is the
one rule by which a cell becomes text; `write` writes CSV and .xlsx; `batch` holds what the
readers yield.
"""
