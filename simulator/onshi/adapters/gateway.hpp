#pragma once
// The server's front door: admin calls (/admin/v1/…, loopback server + bearer token) set the clock,
// faults and read the journal; public calls (/v2/…) pass the fault plan, reach the Service and are
// journaled. Wire format of both: docs/onshi-api.md.
#include <functional>
#include <string>

#include "onshi/adapters/controllable_clock.hpp"
#include "onshi/adapters/fault_plan.hpp"
#include "onshi/adapters/journal.hpp"
#include "onshi/service/service.hpp"

namespace mynasim::onshi {

class Gateway {
public:
    Gateway(Service& service, ControllableClock& clock, std::string admin_token, std::function<void()> reset_dataset);
    HttpResponse handle(const HttpRequest& request);
    FaultPlan& faults() { return faults_; }
    Journal& journal() { return journal_; }

private:
    HttpResponse admin(const HttpRequest& request);
    Service& service_;
    ControllableClock& clock_;
    std::string admin_token_;
    std::function<void()> reset_dataset_;
    FaultPlan faults_;
    Journal journal_;
};

}  // namespace mynasim::onshi
