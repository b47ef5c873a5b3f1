/*
 * commands.c - the one table of CLI commands.  Each command is defined in
 * its own file (cmd_*.c) as `const struct cli_command cmd_NAME`.
 */
#include <stddef.h>
#include "amanat/cli.h"

extern const struct cli_command cmd_init, cmd_register, cmd_accept, cmd_handback,
	cmd_handover, cmd_place, cmd_delay, cmd_expire, cmd_return, cmd_collect, cmd_lost,
	cmd_cancel, cmd_note, cmd_reserve, cmd_status, cmd_events, cmd_deadlines,
	cmd_deadline, cmd_verify, cmd_force_majeure, cmd_acts, cmd_staff, cmd_postomat, cmd_ui, cmd_report, cmd_scanner, cmd_sync, cmd_label, cmd_sheet, cmd_print, cmd_code, cmd_doctor, cmd_backup, cmd_restore, cmd_point;

const struct cli_command *const cli_commands[] = {
	&cmd_ui,
	&cmd_init,
	&cmd_register,
	&cmd_accept,
	&cmd_handover,
	&cmd_place,
	&cmd_delay,
	&cmd_expire,
	&cmd_return,
	&cmd_handback,
	&cmd_collect,
	&cmd_lost,
	&cmd_cancel,
	&cmd_note,
	&cmd_reserve,
	&cmd_status,
	&cmd_events,
	&cmd_deadlines,
	&cmd_deadline,
	&cmd_verify,
	&cmd_force_majeure,
	&cmd_acts,
	&cmd_staff,
	&cmd_postomat,
	&cmd_report,
	&cmd_scanner,
	&cmd_sync,
	&cmd_label,
	&cmd_sheet,
	&cmd_print,
	&cmd_code,
	&cmd_doctor,
	&cmd_backup,
	&cmd_restore,
	&cmd_point,
	NULL,
};
