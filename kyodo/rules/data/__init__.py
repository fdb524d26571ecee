"""Law data files (JSON), one folder per topic: see :mod:`kyodo.rules.lawdata`.

The folders are packages only so that setuptools ships their ``*.json`` files
(``[tool.setuptools.package-data]`` matches files of packages); nothing here is imported.
"""
