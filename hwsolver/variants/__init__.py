"""Per-student variants: `vary:` rules (rules.py) drawn from SHA-256 seeds (seeds.py), statements that show each
variant's values (statements.py), the kind's `require:` constraints and the universal one that every classic
mistake stays detectable (require.py, constraints.py), drawing with rejection (drawing.py), and the lock file
that freezes what was handed out (lock.py).

rules.py, require.py and statements.py read a problem file's own keys, so spec/problems.py uses them; everything
else here builds on spec/ and the kinds. Import the module you need: this package imports nothing.
"""
