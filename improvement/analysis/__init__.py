"""Pure computations behind pages, charts and Excel workbooks.

Nothing in this package may import Flask, SQLAlchemy or the database: every function
takes plain Python objects (dataclasses, mappings, ORM rows read through attributes)
and returns plain dataclasses or pandas DataFrames, so the same numbers appear on a
page, in a chart and in an exported sheet, and can be tested without an app.
"""
