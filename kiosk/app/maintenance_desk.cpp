// The maintenance desk, with one fault seam for the export test:
// KIOSK_FAULT_USB_FULL_AFTER=BYTES (the USB stick fills after that many bytes of the export).
#include "maintenance_desk.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "sign/minisign.hpp"
#include "store/bundle_installer.hpp"
#include "submit/outbox.hpp"
#include "util/clock.hpp"
#include "util/file_faults.hpp"
#include "util/file_io.hpp"

namespace kiosk::app {

namespace fs = std::filesystem;

namespace {

std::string mib(uint64_t bytes) {
    return std::to_string(bytes >> 20) + " MB";
}

std::string china_time(int64_t t) {
    return util::format_utc_time(t + 8 * 3600, "%Y-%m-%d %H:%M:%S") + "（北京时间）";
}

// The folder, made canonical, if it is the USB root or inside it; "" otherwise.
std::string inside_root(const std::string& root, const std::string& folder) {
    std::error_code ec;
    const fs::path r = fs::weakly_canonical(root, ec);
    const fs::path f = fs::weakly_canonical(folder.empty() ? root : folder, ec);
    if (ec) return "";
    const std::string rs = r.string(), fstr = f.string();
    if (fstr == rs || fstr.rfind(rs + "/", 0) == 0) return fstr;
    return "";
}

}  // namespace

MaintenanceDesk::MaintenanceDesk(config::Config cfg)
    : cfg_(std::move(cfg)), network_([] { return std::string("未配置（本机尚未接入县级平台）"); }) {
}

std::optional<ui::Action> MaintenanceDesk::answer(const ui::AppState& s, const ui::Action& a) {
    if (std::holds_alternative<ui::PinEnter>(a)) return check_pin(s.maint.pin);
    if (const auto* open = std::get_if<ui::MaintOpen>(&a)) {
        if (open->page == ui::MaintPage::usb) return list_folder(cfg_.usb_root);
        if (open->page == ui::MaintPage::overview) return ui::MaintInfoShown{info()};
        return std::nullopt;
    }
    if (const auto* f = std::get_if<ui::UsbOpenFolder>(&a)) return list_folder(f->path);
    if (const auto* imp = std::get_if<ui::UsbImport>(&a)) return import_bundle(imp->path);
    if (std::holds_alternative<ui::OutboxExport>(a)) return export_outbox(s.maint.folder);
    if (std::holds_alternative<ui::RollbackBundle>(a)) return roll_back();
    return std::nullopt;
}

ui::Action MaintenanceDesk::check_pin(const std::string& pin) {
    const int64_t now = util::wall_now();
    // The state directory is the record (it survives a restart); the copy here counts only while
    // the directory cannot be written.
    const config::PinAttempts on_disk = config::read_pin_attempts(cfg_.state_dir);
    if (unrecorded_) {
        attempts_.failures = std::max(attempts_.failures, on_disk.failures);
        attempts_.locked_until = std::max(attempts_.locked_until, on_disk.locked_until);
    } else {
        attempts_ = on_disk;
    }
    if (attempts_.locked_until > now) {
        return ui::PinAnswer{false,
                             "连续输错 " + std::to_string(attempts_.failures) + " 次，已锁定。请 " +
                                 std::to_string(attempts_.locked_until - now) + " 秒后再试。"};
    }
    if (cfg_.maintenance_pin_hash.empty()) {
        return ui::PinAnswer{false, "本机还没有设置维护密码：请用 kioskctl pin-hash 生成，"
                                    "写入配置文件的 [maintenance] pin_hash。"};
    }
    if (config::pin_well_formed(pin) && config::pin_matches(cfg_.maintenance_pin_hash, pin)) {
        if (attempts_.failures > 0) {
            attempts_ = config::PinAttempts{};
            unrecorded_ = !config::write_pin_attempts(cfg_.state_dir, attempts_);
        }
        std::fprintf(stderr, "kiosk: the maintenance screen was opened\n");
        return ui::PinAnswer{true, ""};
    }
    ++attempts_.failures;
    const int64_t lock = config::lockout_seconds(attempts_.failures);
    attempts_.locked_until = lock > 0 ? now + lock : 0;
    Status recorded = config::write_pin_attempts(cfg_.state_dir, attempts_);
    unrecorded_ = !recorded;
    if (!recorded)
        std::fprintf(stderr, "kiosk: cannot record a wrong maintenance PIN: %s\n",
                     recorded.error().message.c_str());
    std::fprintf(stderr, "kiosk: a wrong maintenance PIN (%d in a row)\n", attempts_.failures);
    std::string said = "密码不对（已连续输错 " + std::to_string(attempts_.failures) + " 次）。";
    if (lock > 0) said += "已锁定，请 " + std::to_string(lock) + " 秒后再试。";
    return ui::PinAnswer{false, said};
}

ui::MaintInfo MaintenanceDesk::info() {
    ui::MaintInfo i;
    i.network = network_ ? network_() : "";
    i.app_version = KIOSK_VERSION;
    const std::string db = submit::state_database_path(cfg_.state_dir);
    std::error_code ec;
    if (!fs::exists(db, ec)) {
        i.queue = "0 条（还没有收到提交）";
    } else if (auto box = submit::Outbox::open(db, submit::outbox_limits(cfg_))) {
        if (auto st = box->stats()) {
            i.queue = std::to_string(st->depth) + " 条待上传，共 " +
                      std::to_string((st->bytes + 1023) / 1024) + " KB；上传失败 " +
                      std::to_string(st->dead_count) + " 条";
        } else {
            i.queue = "读不出：" + st.error().message;
        }
    } else {
        i.queue = "打不开：" + box.error().message;
    }
    store::BundleInstaller installer(cfg_.state_dir, store::InstallPolicy{});
    auto describe = [](const Result<store::InstalledBundle>& b) {
        if (!b) return std::string(b.error().code == "none" ? "没有" : b.error().message);
        return "第 " + std::to_string(b->meta.version) + " 版 · " + b->meta.title + " · " +
               b->meta.created;
    };
    i.bundle = describe(installer.current());
    i.previous = describe(installer.previous());
    if (auto free = util::free_disk_bytes(cfg_.state_dir))
        i.free_disk = mib(*free) + "（至少需要 " + mib(cfg_.min_free_disk_bytes) + "）";
    else
        i.free_disk = "不明：" + free.error().message;
    i.clock = china_time(util::wall_now());
    return i;
}

ui::Action MaintenanceDesk::list_folder(const std::string& folder) {
    ui::UsbListed out;
    out.root = cfg_.usb_root;
    out.folder = inside_root(cfg_.usb_root, folder);
    if (out.folder.empty()) out.folder = cfg_.usb_root;
    std::error_code ec;
    fs::directory_iterator it(out.folder, ec), end;
    if (ec) {
        out.message = "打不开 " + out.folder + "：" + ec.message() + "。请确认 U 盘已插好。";
        return out;
    }
    for (; it != end; it.increment(ec)) {
        if (ec) break;
        const std::string name = it->path().filename().string();
        if (name.empty() || name[0] == '.') continue;
        if (it->is_directory(ec))
            out.folders.push_back({name, it->path().string()});
        else if (it->path().extension() == ".kbundle")
            out.bundles.push_back({name, it->path().string()});
    }
    auto by_name = [](const ui::UsbEntry& a, const ui::UsbEntry& b) { return a.name < b.name; };
    std::sort(out.folders.begin(), out.folders.end(), by_name);
    std::sort(out.bundles.begin(), out.bundles.end(), by_name);
    return out;
}

ui::Action MaintenanceDesk::import_bundle(const std::string& path) {
    if (inside_root(cfg_.usb_root, path).empty()) return ui::MaintDone{false, "只能从 U 盘导入。"};
    store::InstallPolicy policy;
    policy.scope = cfg_.scope;
    policy.max_bytes = cfg_.max_bundle_bytes;
    for (const auto& file : cfg_.trusted_key_files) {
        auto key = sign::read_public_key_file(file);
        if (!key)
            return ui::MaintDone{false, "信任的公钥 " + file + " 读不出（" + key.error().message +
                                            "），不能导入。请运行 kioskctl selftest。"};
        policy.trusted_keys.push_back(*key);
    }
    store::BundleInstaller installer(cfg_.state_dir, policy);
    auto done = installer.install(path, path + ".minisig");
    const std::string name = fs::path(path).filename().string();
    if (!done) {
        std::fprintf(stderr, "kiosk: bundle %s refused (%s): %s\n", path.c_str(),
                     done.error().code.c_str(), done.error().message.c_str());
        return ui::MaintDone{false, "没有导入 " + name + "：" + done.error().message + "（" +
                                        done.error().code + "）。现有内容没有变化。"};
    }
    std::fprintf(stderr, "kiosk: bundle version %lld installed from %s\n",
                 static_cast<long long>(done->meta.version), path.c_str());
    return ui::MaintDone{true, "已导入第 " + std::to_string(done->meta.version) + " 版：" +
                                   done->meta.title + "。退出维护后生效。"};
}

ui::Action MaintenanceDesk::export_outbox(const std::string& folder) {
    const std::string dir = inside_root(cfg_.usb_root, folder);
    if (dir.empty()) return ui::MaintDone{false, "请先选择 U 盘上的文件夹。"};
    const std::string db = submit::state_database_path(cfg_.state_dir);
    std::error_code ec;
    if (!fs::exists(db, ec)) return ui::MaintDone{true, "没有待上传的内容，不需要导出。"};
    submit::OutboxSeams seams;
    if (const char* bytes = std::getenv("KIOSK_FAULT_USB_FULL_AFTER"))
        seams.open_sink =
            util::failing_after(util::open_posix_sink, std::strtoull(bytes, nullptr, 10));
    auto box = submit::Outbox::open(db, submit::outbox_limits(cfg_), seams);
    if (!box) return ui::MaintDone{false, "打不开待上传队列：" + box.error().message};
    auto done = box->export_to(dir, util::wall_now());
    if (!done) {
        if (done.error().code == "disk_full")
            return ui::MaintDone{false, "U 盘已满，没有导出（未写完的文件已删除）。"
                                        "请换一个有空间的 U 盘。待上传内容仍在本机，没有丢失。"};
        return ui::MaintDone{false, "导出失败：" + done.error().message +
                                        "。待上传内容仍在本机，没有丢失。"};
    }
    return ui::MaintDone{true,
                         "已导出 " + std::to_string(done->items) + " 条到 " +
                             fs::path(done->file).filename().string() +
                             "。这些内容仍留在本机，联网后照常上传（县级平台不会重复计数）。"};
}

ui::Action MaintenanceDesk::roll_back() {
    store::InstallPolicy policy;
    policy.scope = cfg_.scope;
    for (const auto& file : cfg_.trusted_key_files)
        if (auto key = sign::read_public_key_file(file)) policy.trusted_keys.push_back(*key);
    store::BundleInstaller installer(cfg_.state_dir, policy);
    auto done = installer.rollback();
    if (!done) return ui::MaintDone{false, "没有回滚：" + done.error().message + "。"};
    std::fprintf(stderr, "kiosk: rolled back to bundle version %lld\n",
                 static_cast<long long>(done->meta.version));
    return ui::MaintDone{true, "已回滚到第 " + std::to_string(done->meta.version) + " 版：" +
                                   done->meta.title + "。退出维护后生效。"};
}

}  // namespace kiosk::app
