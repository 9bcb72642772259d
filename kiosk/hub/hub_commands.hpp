// The staff commands of kiosk-hub (until the staff web pages come): each returns an exit code
// and prints what it did; none ever prints a token, a key or a look-up key it did not make.
#pragma once

#include <string>

#include "hub/hub_config.hpp"

namespace kiosk::hub {

int cmd_enroll_code(const HubConfig& cfg, const std::string& township,
                    const std::string& valid_hours);
int cmd_revoke(const HubConfig& cfg, const std::string& kiosk_id);
int cmd_fleet(const HubConfig& cfg, bool json);
int cmd_publish(const HubConfig& cfg, const std::string& file, const std::string& townships);
int cmd_import(const HubConfig& cfg, const std::string& dir_or_file);
int cmd_list(const HubConfig& cfg, bool json, const std::string& status);
int cmd_show(const HubConfig& cfg, const std::string& id, const std::string& secret_key_file);
int cmd_reply(const HubConfig& cfg, const std::string& id, const std::string& status,
              const std::string& text);

}  // namespace kiosk::hub
