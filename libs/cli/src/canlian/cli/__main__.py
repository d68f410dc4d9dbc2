from canlian.cli.main import main

main()
