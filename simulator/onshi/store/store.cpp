#include "store.hpp"

#include <atomic>

#include "onshi/store/store_connections.hpp"
#include "onshi/store/store_schema.hpp"

namespace mynasim::onshi {

namespace {

std::atomic<std::uint64_t> next_store_id{1};

}  // namespace

Store::Store(const std::string& path)
    : path_(path), readers_allowed_(!path.empty() && path != ":memory:"), writer_(path), id_(next_store_id++) {
    store_schema::open_schema(writer_, path);
}

Store::~Store() = default;

}  // namespace mynasim::onshi
