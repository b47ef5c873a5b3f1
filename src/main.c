/*
 * main.c - amanat's entry point: everything happens in cli_main.
 */
#include "amanat/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
