from runrecover.cli import main

main()
