// The program's side of the maintenance screen: the PIN check with its persistent lockout, what
// the overview shows, the USB stick (listing, bundle import with the same installer as
// `kioskctl import`, outbox export), rollback and restart. On the UI thread: each is one
// technician's tap, and the screen shows the outcome when it returns.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "config/pin.hpp"
#include "ui/app_state.hpp"

namespace kiosk::app {

// The network's state in words for the overview. The sync worker fills it once it exists; until
// then the kiosk is "not configured".
using NetworkStatus = std::function<std::string()>;

class MaintenanceDesk {
public:
    explicit MaintenanceDesk(config::Config cfg);

    void set_network_status(NetworkStatus status) { network_ = std::move(status); }

    // The answer to an action that needs the disk (PinEnter, MaintOpen, UsbOpenFolder, UsbImport,
    // OutboxExport, RollbackBundle), to apply after it; nothing for the others.
    std::optional<ui::Action> answer(const ui::AppState& state, const ui::Action& action);

    // What the overview shows now.
    ui::MaintInfo info();

private:
    ui::Action check_pin(const std::string& pin);
    ui::Action list_folder(const std::string& folder);
    ui::Action import_bundle(const std::string& path);
    ui::Action export_outbox(const std::string& folder);
    ui::Action roll_back();

    config::Config cfg_;
    NetworkStatus network_;
    config::PinAttempts attempts_;  // the last count; the state dir's file is the record
    bool unrecorded_ = false;       // the file could not be written: this copy counts meanwhile
};

}  // namespace kiosk::app
