// Replay mode: plays a script with simulated time, writes screenshots, stops at the first
// failed expectation with the script line and what was on screen.
#include <imgui.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "kiosk_app.hpp"

#ifdef KIOSK_LEAK_CHECK
#include <sanitizer/lsan_interface.h>
#endif
#include "screenshot.hpp"
#include "ui/probe.hpp"
#include "util/file_io.hpp"

namespace kiosk::app {

namespace {
constexpr double kFrame = 1.0 / 30;
}

void KioskApp::write_state_dump(const std::string& failure) {
    if (opt_.state_dump.empty()) return;
    nlohmann::ordered_json j;
    j["screen"] = ui::screen_name(state_.here().screen);
    j["category"] = state_.here().category;
    j["document"] = state_.here().document;
    j["history"] = state_.history.size();
    j["large_text"] = state_.large_text;
    j["idle_s"] = state_.idle_s;
    j["bundle_version"] = store_ ? store_->meta().version : 0;
    j["keyboard_mode"] = static_cast<int>(state_.keyboard.mode);
    j["report_step"] = state_.forms.report_step;
    j["rating_step"] = state_.forms.rating_step;
    j["consult_step"] = state_.forms.consult_step;
    j["receipt_shown"] =
        !state_.receipt.code.empty() || state_.here().screen == ui::ScreenId::receipt;
    j["problem"] = state_.forms.problem;
    j["net"] = {{"configured", state_.net.configured},
                {"online", state_.net.online},
                {"queue", state_.net.queue}};
    j["failure"] = failure;
    if (glyphs_) {
        const ui::GlyphStats g = glyphs_->stats();
        j["glyph_cache"] = {{"width", g.width},
                            {"height", g.height},
                            {"resident", g.resident},
                            {"rasterised", g.rasterised},
                            {"evicted_pages", g.evicted_pages},
                            {"overflows", g.overflows}};
    }
    // What a person wrote and their receipt code never reach the disk in plain text: the dump
    // lists visible text, so the receipt screen's code and the forms' fields are left out.
    nlohmann::json texts = nlohmann::json::array();
    auto personal = [&](const std::string& t) {
        if (!state_.receipt.code.empty() &&
            (t.find(state_.receipt.code.substr(0, 4)) != std::string::npos || t == "#receipt-code"))
            return true;
        for (const auto& f : state_.forms.fields) {
            if (!f.text.empty() && t.size() >= 2 &&
                (f.text.find(t) != std::string::npos || t.find(f.text) != std::string::npos))
                return true;
        }
        return false;
    };
    for (const auto& t : ui::probe().texts)
        if (!personal(t.text)) texts.push_back(t.text);
    j["visible_text"] = texts;
    nlohmann::json targets = nlohmann::json::array();
    for (const auto& t : ui::probe().targets)
        targets.push_back(t.text);
    j["targets"] = targets;
    (void)util::write_file_atomic(opt_.state_dump, j.dump(2) + "\n");
}

int KioskApp::replay_command(const Command& c) {
    auto frames = [&](int n) {
        for (int i = 0; i < n; ++i) {
            apply(ui::Elapsed{kFrame});
            frame(kFrame);
        }
    };
    auto press_at = [&](float x, float y) {
        mouse_x_ = x, mouse_y_ = y;
        frames(1);
        mouse_down_ = true;
        apply(ui::Touched{});
        frames(2);
        mouse_down_ = false;
        frames(4);
    };
    const std::string where = opt_.replay_script + ":" + std::to_string(c.line) + ": ";
    auto fail = [&](const std::string& why) {
        write_state_dump(why);
        std::fprintf(stderr, "kiosk: %s%s\n", where.c_str(), why.c_str());
        return 1;
    };
    if (c.verb == "tap" && c.numbers.size() == 2) {
        press_at(static_cast<float>(c.numbers[0]), static_cast<float>(c.numbers[1]));
    } else if (c.verb == "tap") {
        const ui::ProbeItem* t = ui::probe().find_target(c.text);
        if (!t) {
            std::string seen;
            for (const auto& x : ui::probe().targets)
                seen += " [" + x.text + "]";
            return fail("tap: nothing labelled \"" + c.text + "\" is visible; targets:" + seen);
        }
        // Tap the visible part of the target (it may be cut by a scroll area's edge).
        float y0 = std::max(t->min.y, metrics_.bar_height),
              y1 = std::min(t->max.y, metrics_.height);
        float cy = y1 > y0 && t->min.y > 0 ? (y0 + y1) / 2 : (t->min.y + t->max.y) / 2;
        press_at((t->min.x + t->max.x) / 2, cy);
    } else if (c.verb == "drag") {
        const auto& n = c.numbers;
        int steps = std::max(2, static_cast<int>(n[4] / 1000.0 / kFrame));
        mouse_x_ = static_cast<float>(n[0]), mouse_y_ = static_cast<float>(n[1]);
        frames(1);
        mouse_down_ = true;
        apply(ui::Touched{});
        frames(1);
        for (int i = 1; i <= steps; ++i) {
            mouse_x_ = static_cast<float>(n[0] + (n[2] - n[0]) * i / steps);
            mouse_y_ = static_cast<float>(n[1] + (n[3] - n[1]) * i / steps);
            frames(1);
        }
        mouse_down_ = false;
        frames(2);
    } else if (c.verb == "keys" || c.verb == "pinyin") {
        auto tap_label = [&](const std::string& label) -> bool {
            const ui::ProbeItem* t = ui::probe().find_target(label);
            if (!t || t->text != label) return false;
            press_at((t->min.x + t->max.x) / 2, (t->min.y + t->max.y) / 2);
            return true;
        };
        if (c.verb == "pinyin" && state_.keyboard.mode != ui::InputMode::pinyin &&
            !tap_label("拼音")) {
            return fail("pinyin: no 拼音 key is visible (open the search screen first)");
        }
        for (char ch : c.text) {
            std::string k(1, ch),
                upper(1, static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
            if (ch == ' ') k = upper = "空格";
            if (!tap_label(k) && !tap_label(upper))
                return fail(c.verb + ": no key '" + k + "' is visible");
        }
        if (c.verb == "pinyin") {
            std::string cand = "#cand" + std::to_string(static_cast<int>(c.numbers[0]));
            const ui::ProbeItem* t = ui::probe().find_target(cand);
            if (!t || t->text != cand)
                return fail("pinyin: there is no candidate " + cand.substr(5));
            press_at((t->min.x + t->max.x) / 2, (t->min.y + t->max.y) / 2);
        }
        frames(10);  // let the results settle after the pause
    } else if (c.verb == "stroke") {
        // One pen stroke on the handwriting pad through the points given as fractions of it
        // (0 0 top left, 1 1 bottom right), drawn at a finger's pace.
        const ui::ProbeItem* pad = ui::probe().find_target("#pad");
        if (!pad || pad->text != "#pad")
            return fail("stroke: no handwriting pad is visible (tap 手写)");
        auto at = [&](size_t i) {
            return ImVec2(pad->min.x + (pad->max.x - pad->min.x) * static_cast<float>(c.numbers[i]),
                          pad->min.y +
                              (pad->max.y - pad->min.y) * static_cast<float>(c.numbers[i + 1]));
        };
        ImVec2 p = at(0);
        mouse_x_ = p.x, mouse_y_ = p.y;
        frames(1);
        mouse_down_ = true;
        apply(ui::Touched{});
        frames(1);
        for (size_t i = 2; i + 1 < c.numbers.size(); i += 2) {
            const ImVec2 from = p, to = at(i);
            for (int k = 1; k <= 6; ++k) {
                mouse_x_ = from.x + (to.x - from.x) * k / 6,
                mouse_y_ = from.y + (to.y - from.y) * k / 6;
                frames(1);
            }
            p = to;
        }
        mouse_down_ = false;
        frames(3);
    } else if (c.verb == "pick") {
        std::string cand = "#cand" + std::to_string(static_cast<int>(c.numbers[0]));
        const ui::ProbeItem* t = ui::probe().find_target(cand);
        if (!t || t->text != cand) return fail("pick: there is no candidate " + cand.substr(5));
        press_at((t->min.x + t->max.x) / 2, (t->min.y + t->max.y) / 2);
    } else if (c.verb == "expect-text-in" || c.verb == "expect-no-text-in") {
        // Scoped: the text must (or must not) be drawn inside the named target's rectangle, so
        // "新" on one notice card is not confused with 新 anywhere else on the screen.
        const ui::ProbeItem* t = ui::probe().find_target(c.text);
        if (!t) return fail("nothing labelled \"" + c.text + "\" is visible");
        bool inside = false;
        for (const auto& x : ui::probe().texts) {
            if (x.text.find(c.text2) != std::string::npos && x.min.x >= t->min.x - 1 &&
                x.min.y >= t->min.y - 1 && x.max.x <= t->max.x + 1 && x.max.y <= t->max.y + 1)
                inside = true;
        }
        const bool want = c.verb == "expect-text-in";
        if (inside != want) {
            return fail(std::string("expected ") + (want ? "" : "not ") + "to see \"" + c.text2 +
                        "\" on \"" + c.text + "\"");
        }
    } else if (c.verb == "expect-no-text") {
        if (ui::probe().shows_text(c.text)) return fail("expected not to see \"" + c.text + "\"");
    } else if (c.verb == "run") {
        // Something outside the kiosk happens meanwhile (a test installs a newer bundle, say).
        const int rc = std::system(c.text.c_str());
        if (rc != 0) return fail("run: '" + c.text + "' failed (" + std::to_string(rc) + ")");
        frames(2);
    } else if (c.verb == "monkey") {
        // SECONDS of taps and drags at RATE touches a second anywhere on screen (SEED picks
        // where): every frame is one press or release, with 1/(2*RATE) s of simulated time.
        const double seconds = c.numbers[0], rate = c.numbers[1];
        uint64_t seed = static_cast<uint64_t>(c.numbers[2]) * 2654435761u + 1;
        auto next = [&seed] {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            return seed;
        };
        const double dt = 1.0 / (2 * rate);
        const long steps = static_cast<long>(seconds * rate * 2);
        for (long i = 0; i < steps; ++i) {
            if (i % 2 == 0) {
                mouse_x_ = static_cast<float>(next() % static_cast<uint64_t>(metrics_.width));
                mouse_y_ = static_cast<float>(next() % static_cast<uint64_t>(metrics_.height));
                mouse_down_ = true;
                apply(ui::Touched{});
            } else {
                if (next() % 4 == 0)
                    mouse_y_ += static_cast<float>(next() % 400) - 200.f;  // a flick
                mouse_down_ = false;
            }
            apply(ui::Elapsed{dt});
            frame(dt, i % 20 == 0);  // every frame runs the UI; every 20th is also rasterised
        }
        mouse_down_ = false;
        frames(2);
    } else if (c.verb == "wait") {
        frames(std::max(1, static_cast<int>(c.numbers[0] / 1000.0 / kFrame)));
    } else if (c.verb == "idle") {
        apply(ui::Elapsed{c.numbers[0]});
        frames(2);
    } else if (c.verb == "shot") {
        if (opt_.screenshot_dir.empty()) return fail("shot: no --screenshot-dir given");
        frames(1);
        std::string path = opt_.screenshot_dir + "/" + c.text + ".png";
        const int w = static_cast<int>(metrics_.width), h = static_cast<int>(metrics_.height);
        auto rgb = renderer_->read_rgb(w, h);
        if (!rgb) return fail(rgb.error().message);
        if (Status st = write_png(path, w, h, *rgb); !st) return fail(st.error().message);
    } else if (c.verb == "expect-screen") {
        std::string now = ui::screen_name(state_.here().screen);
        if (now != c.text)
            return fail("expected screen \"" + c.text + "\", showing \"" + now + "\"");
    } else if (c.verb == "expect-text") {
        if (!ui::probe().shows_text(c.text)) return fail("expected to see \"" + c.text + "\"");
    } else {
        return fail("'" + c.verb +
                    "' is not available yet (the on-screen keyboard comes with search)");
    }
    return 0;
}

int KioskApp::run_replay() {
    auto text = util::read_file(opt_.replay_script, 1 << 20);
    if (!text) {
        std::fprintf(stderr, "kiosk: %s\n", text.error().message.c_str());
        return 2;
    }
    auto script = parse_script(*text, opt_.replay_script);
    if (!script) {
        std::fprintf(stderr, "kiosk: %s\n", script.error().message.c_str());
        return 2;
    }
    for (int i = 0; i < 3; ++i)
        frame(kFrame);
    for (const auto& c : *script) {
        if (int rc = replay_command(c); rc != 0) return rc;
        if (exit_status_ >= 0) return exit_status_;  // restarted from the maintenance screen
    }
    // The atlas must still hold exactly our three fonts: anything else means ImGui rebuilt it
    // behind our back and every glyph on screen is wrong, while the logical text looks fine.
    const ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    if (atlas.Fonts.Size != 3 || atlas.Fonts[0] != fonts_.body) {
        std::string why = "the font atlas was rebuilt behind the UI's back (" +
                          std::to_string(atlas.Fonts.Size) + " fonts)";
        write_state_dump(why);
        std::fprintf(stderr, "kiosk: %s\n", why.c_str());
        return 1;
    }
    // A frame that met more new characters than the glyph cache had room for drew some as □
    // (the texture grew before the next): that must not happen on any screen a script shows.
    if (glyphs_ && glyphs_->stats().overflows > 0) {
        std::string why = "the glyph cache overflowed " +
                          std::to_string(glyphs_->stats().overflows) +
                          " time(s): characters were drawn as boxes for a frame";
        write_state_dump(why);
        std::fprintf(stderr, "kiosk: %s\n", why.c_str());
        return 1;
    }
    // With KIOSK_VERIFY_DAMAGE (every UI test): each frame the software renderer drew in part
    // must equal the same frame drawn whole.
    if (std::string bad = renderer_->self_check(); !bad.empty()) {
        write_state_dump(bad);
        std::fprintf(stderr, "kiosk: %s\n", bad.c_str());
        return 1;
    }
    write_state_dump("");
#ifdef KIOSK_LEAK_CHECK
    // Under ASan: everything still in use is reachable now, so any unreachable block was lost
    // during the run. (At exit, SDL 2.26 drops libX11's keyboard map, which is not ours.)
    if (__lsan_do_recoverable_leak_check()) {
        std::fprintf(stderr, "kiosk: memory was lost during the replay (see the report above)\n");
        return 1;
    }
#endif
    return 0;
}

}  // namespace kiosk::app
