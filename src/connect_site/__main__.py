from connect_site.cli import main

main()
