from hwsolver.cli import main

main()
