// What a resident fills in on the kiosk, before it is checked, sealed and queued. The UI owns
// these while a form is open; submit::Submitter turns one into a sealed outbox item.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::submit {

enum class Kind { report, rating, consultation };
// "report", "rating", "consultation", and back (nullopt for an unknown name).
const char* kind_name(Kind k);
std::optional<Kind> kind_from_name(std::string_view name);

struct ReportDraft {
    std::string category;  // a report category id from the bundle
    // Who or which office: a rating target id (township / office / window) from the bundle, or
    // the person's own words (either may be empty).
    std::string target_id;
    std::string target_text;
    std::string what;  // what happened, at most kMaxReportChars characters
    std::string when;  // optional: "2026-11-20", "上午" ... as the person gave it
    bool real_name = false;
    std::string name, phone, id_number;  // real name only; id_number optional
};

struct RatingDraft {
    std::string target_id;  // a window (or office) id from the bundle's rating targets
    int level = 0;  // 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意
    // For levels 1-3 only: "attitude" "efficiency" "fees" "openness" "other".
    std::vector<std::string> reasons;
    std::string comment;  // optional, at most kMaxCommentChars characters
};

struct ConsultationDraft {
    std::string question;  // at most kMaxReportChars characters
    std::string phone;     // optional, for a callback
};

inline constexpr size_t kMaxReportChars = 2000;
inline constexpr size_t kMaxCommentChars = 500;
inline constexpr size_t kMaxNameChars = 30;

}  // namespace kiosk::submit
