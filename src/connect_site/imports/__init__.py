"""`connect-site import`: statistics from the files statistics offices already have.

    SDMX-CSV / SDMX-ML / .xlsx / .csv --read--> Records --select, map--> rows --check, merge--> data/<id>.csv

`sdmx.py` and `sheets.py` read a file into `Record`s, each with the place of its cells;
`records.py` turns the chosen ones into rows of the tidy table (country codes, years, quality
notes) and `merge.py` checks them as `check` would and merges them with the table already there.
"""
