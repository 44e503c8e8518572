from hwsolver.cli import run

run()
