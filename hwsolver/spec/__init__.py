"""Problem files in: the only YAML reader (reader.py: safe, exact numbers, file:line:column errors), the value
tree it builds (node.py), the collections it leaves unbuilt, read on first use (later.py), plain words for YAML
syntax errors (yaml_hints.py), problem loading (problems.py) and the grading options a problem may set
(options.py). Import the module you need; this package imports nothing.
"""
