#include "selectable_application.hpp"

#include "card/iso7816_operations.hpp"

namespace mynasim::card {

Bytes juki_aid() { return {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01}; }
Bytes common_aid() { return {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00}; }

namespace {
ApplicationDefinition empty_application(std::string name, Bytes aid) {
    ApplicationDefinition app;
    app.name = std::move(name);
    app.aid = std::move(aid);
    app.operations = std::make_shared<const Operations>(iso7816_operations());  // the base only
    return app;
}
}  // namespace

ApplicationDefinition make_juki_application() { return empty_application("住基 AP", juki_aid()); }
ApplicationDefinition make_common_application() { return empty_application("共通 AP", common_aid()); }

}  // namespace mynasim::card
