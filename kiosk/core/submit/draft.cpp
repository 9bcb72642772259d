// Names of the submission kinds, as they appear in the outbox, the meta JSON and exports.
#include "submit/draft.hpp"

namespace kiosk::submit {

const char* kind_name(Kind k) {
    switch (k) {
    case Kind::report:
        return "report";
    case Kind::rating:
        return "rating";
    case Kind::consultation:
        return "consultation";
    }
    return "report";
}

std::optional<Kind> kind_from_name(std::string_view name) {
    for (Kind k : {Kind::report, Kind::rating, Kind::consultation}) {
        if (name == kind_name(k)) return k;
    }
    return std::nullopt;
}

}  // namespace kiosk::submit
