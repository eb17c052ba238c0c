#include "sbom/catalogers/rpm_sqlite.h"

#include <sqlite3.h>

#include <memory>
#include <string>

#include "sbom/catalogers/rpm_text.h"

namespace cairn::sbom::rpm {
namespace {

constexpr std::string_view kSqliteMagic("SQLite format 3\0", 16);

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

}  // namespace

Status read_sqlite_packages(std::string_view bytes, const BlobVisitor& visit, Problems& problems) {
  if (bytes.size() < 100 || bytes.substr(0, 16) != kSqliteMagic) return input_error("not a sqlite 3 database");
  // rpm keeps its database in WAL mode (header bytes 18 and 19 = 2). An in-memory
  // database cannot use a WAL, so such a file is read from a copy marked as a rollback
  // journal database; what it holds is the same (the -wal file is not part of the scan).
  std::string wal_copy;
  unsigned char* data = reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data()));
  if (bytes[18] == 2 || bytes[19] == 2) {
    wal_copy.assign(bytes);
    wal_copy[18] = 1;
    wal_copy[19] = 1;
    data = reinterpret_cast<unsigned char*>(wal_copy.data());
  }

  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return input_error("sqlite: " + msg);
  }
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  // Defensive mode refuses writes to the schema and other tricks a crafted file might try.
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_limit(db.get(), SQLITE_LIMIT_LENGTH, 256 * 1024 * 1024);
  // The buffer is only read: READONLY without FREEONCLOSE or RESIZEABLE never writes it.
  int rc = sqlite3_deserialize(db.get(), "main", data, static_cast<sqlite3_int64>(bytes.size()),
                               static_cast<sqlite3_int64>(bytes.size()), SQLITE_DESERIALIZE_READONLY);
  if (rc != SQLITE_OK) return input_error(cat("sqlite: cannot open the database: ", sqlite3_errmsg(db.get())));

  sqlite3_stmt* raw_stmt = nullptr;
  rc = sqlite3_prepare_v2(db.get(), "SELECT hnum, blob FROM Packages", -1, &raw_stmt, nullptr);
  if (rc != SQLITE_OK) return input_error(cat("sqlite: no readable Packages table: ", sqlite3_errmsg(db.get())));
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt(raw_stmt);
  std::size_t rows = 0;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    if (++rows > kMaxPackagesPerDatabase) {
      problems.push_back(cat("more than ", kMaxPackagesPerDatabase, " packages; the rest are not read"));
      return {};
    }
    auto hnum = sqlite3_column_int64(stmt.get(), 0);
    if (sqlite3_column_type(stmt.get(), 1) != SQLITE_BLOB) {
      problems.push_back(cat("Packages row ", hnum, ": blob column is not a BLOB"));
      continue;
    }
    const void* blob = sqlite3_column_blob(stmt.get(), 1);
    int size = sqlite3_column_bytes(stmt.get(), 1);
    if (!blob || size <= 0) {
      problems.push_back(cat("Packages row ", hnum, ": empty blob"));
      continue;
    }
    visit(std::string_view(static_cast<const char*>(blob), static_cast<std::size_t>(size)));
  }
  if (rc != SQLITE_DONE) return input_error(cat("sqlite: reading Packages failed after ", rows, " rows: ", sqlite3_errmsg(db.get())));
  return {};
}

}  // namespace cairn::sbom::rpm
