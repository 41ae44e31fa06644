#include "ChorusSQLiteConfig.h"

// sqlite-nio's copy of SQLite, linked into every Chorus binary; its header is not public, so the two names are
// declared here, as SQLite defines them.
int sqlite_nio_sqlite3_db_config(void *db, int op, ...);
#define SQLITE_DBCONFIG_ENABLE_QPSG 1007

int chorus_sqlite_keep_plans(void *db) {
    int enabled = 0;
    return sqlite_nio_sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, &enabled);
}
