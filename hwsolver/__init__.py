"""hwsolver: solves, grades and explains neural-network math homework written once as YAML."""

__version__ = "0.1.0"
