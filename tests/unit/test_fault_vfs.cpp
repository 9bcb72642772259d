// The disk-full VFS seam: writes past the budget fail with SQLITE_FULL mid-transaction, SQLite
// rolls back, and nothing of the failed transaction remains once the disk has room again.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "store/fault_vfs.hpp"
#include "store/sqlite.hpp"
#include "test_support.hpp"

using namespace kiosk;

TEST_CASE("a database on a disk that fills up mid-transaction keeps only committed rows") {
    testing::TempDir dir;
    const std::string path = dir / "full.db";
    store::install_disk_full_vfs(std::numeric_limits<int64_t>::max() / 2);
    {
        auto db = store::Database::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        REQUIRE(db.ok());
        REQUIRE(db->exec("PRAGMA journal_mode = WAL; CREATE TABLE t(x BLOB);").ok());
        REQUIRE(db->exec("INSERT INTO t VALUES (zeroblob(1000));").ok());
        store::install_disk_full_vfs(0);  // the disk is full from here on
        Status st = db->exec("BEGIN; INSERT INTO t VALUES (zeroblob(50000)); COMMIT;");
        CHECK_FALSE(st.ok());
        CHECK(sqlite3_extended_errcode(db->handle()) % 256 == SQLITE_FULL);
        (void)db->exec("ROLLBACK;");
    }
    store::install_disk_full_vfs(std::numeric_limits<int64_t>::max() / 2);  // room again
    auto db = store::Database::open(path, SQLITE_OPEN_READWRITE);
    REQUIRE(db.ok());
    auto count = db->prepare("SELECT count(*) FROM t");
    REQUIRE(count.ok());
    REQUIRE(count->step());
    CHECK(count->integer(0) == 1);
    auto check = db->prepare("PRAGMA integrity_check");
    REQUIRE(check.ok());
    REQUIRE(check->step());
    CHECK(check->text(0) == "ok");
}
