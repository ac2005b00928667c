"""Reading the data files specc checks.

This package is to become specc's one data-access layer (issue 10): the place where a CSV
file or a spreadsheet is opened, its header and rows read, and a cell turned into text. For
now it holds the streamed .xlsx reader (`specc.tables.xlsx`), which `specc check` uses for
.xlsx workbooks; the CSV reader and python-calamine (for .xls) still live in specc.data.
"""
