"""Worked-solution documents: assembly (document.py), Math Markdown to HTML/MathML and LaTeX (mathdown*.py), the
handout filters (latexfmt.py), the network drawing (drawing.py), the interface strings every kind shares
(strings.py) and the statement's sentence on precision (precision.py). This package imports nothing itself.
"""
