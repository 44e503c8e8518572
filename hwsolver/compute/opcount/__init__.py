"""Counting the arithmetic of an MLP training step: conventions, their per-operation tables, a counted run."""

from hwsolver.compute.opcount.conventions import CONVENTIONS, SWITCHES, Convention

__all__ = ["CONVENTIONS", "SWITCHES", "Convention"]
