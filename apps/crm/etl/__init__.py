"""Imports of ERP exports (customers, the catalogue, sales lines) at COPY speed.

`reading` looks at the file (encoding, delimiter, columns, kind) and previews it; `normalise`
holds what only Python can do (phones, countries); `loader` copies the file into a staging
table, normalises and checks every row in SQL, then writes the workspace's data with one
set-based upsert per target inside one transaction; `reasons` names why a row was rejected or
loaded with a warning.
"""
