"""Building DataFrames whose missing numbers stay None.

pandas turns None into NaN in a numeric column. NaN is wrong for this package's readers:
``json.dumps`` writes it as the invalid token ``NaN`` (Chart.js data attributes then fail
to parse), Jinja prints "nan", and it reads as a number. A column that has a missing
value is therefore kept as object dtype holding None, which becomes JSON ``null``, an
empty Excel cell and an empty table cell.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import pandas as pd


def frame(
    records: Sequence[Mapping[Any, Any]],
    columns: Sequence[Hashable],
    index: Sequence[Any] | None = None,
) -> pd.DataFrame:
    """DataFrame from records; a column holding any None is object dtype with None."""
    data: dict[Hashable, pd.Series] = {}
    for column in columns:
        values = [record.get(column) for record in records]
        if any(value is None for value in values):
            data[column] = pd.Series(values, dtype=object)
        else:
            data[column] = pd.Series(values) if values else pd.Series([], dtype=object)
    result = pd.DataFrame(data, columns=list(columns))
    if index is not None:
        result.index = pd.Index(list(index))
    return result
