#pragma once
// Online backup: a consistent copy of the database while parleyd runs
// (SQLite's backup API copies it page by page and starts over if the writer
// changes a page it already copied).
#include <functional>
#include <string>

namespace parley::store {

// Copies the database at `from` to `to`. Writes `to`.partial first and renames
// it when complete, so a file named `to` is always a whole backup. Calls
// progress(copied_pages, total_pages) as it goes. Throws StoreError.
void backup_database(const std::string& from, const std::string& to,
                     const std::function<void(int copied, int total)>& progress = {});

}  // namespace parley::store
