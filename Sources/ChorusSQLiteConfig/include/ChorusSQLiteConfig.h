#ifndef CHORUS_SQLITE_CONFIG_H
#define CHORUS_SQLITE_CONFIG_H

/// Asks SQLite for plans that never depend on bound values (SQLITE_DBCONFIG_ENABLE_QPSG), so a kept prepared
/// statement is not prepared again every time new values are bound. Returns SQLite's result code.
/// (sqlite3_db_config is variadic, which Swift can't call.)
int chorus_sqlite_keep_plans(void *db);

#endif
