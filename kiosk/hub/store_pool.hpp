// Connections to the hub database shared by the server's worker threads: a request borrows one
// for its duration (SQLite connections are one-thread-at-a-time; the WAL lets readers run while
// one writer commits).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "hub/hub_store.hpp"

namespace kiosk::hub {

class StorePool {
public:
    explicit StorePool(std::string path) : path_(std::move(path)) {}

    class Lease {
    public:
        Lease(StorePool& pool, std::unique_ptr<HubStore> store)
            : pool_(&pool), store_(std::move(store)) {}
        Lease(Lease&&) = default;
        ~Lease() {
            if (store_) pool_->give_back(std::move(store_));
        }
        HubStore& operator*() { return *store_; }
        HubStore* operator->() { return store_.get(); }

    private:
        StorePool* pool_;
        std::unique_ptr<HubStore> store_;
    };

    // An idle connection, or a new one (the worker pool bounds how many exist).
    Result<Lease> acquire() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!idle_.empty()) {
                auto s = std::move(idle_.back());
                idle_.pop_back();
                return Lease(*this, std::move(s));
            }
        }
        auto opened = HubStore::open(path_);
        if (!opened) return opened.error();
        return Lease(*this, std::make_unique<HubStore>(std::move(*opened)));
    }

private:
    void give_back(std::unique_ptr<HubStore> s) {
        std::lock_guard<std::mutex> lock(mutex_);
        idle_.push_back(std::move(s));
    }
    std::string path_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<HubStore>> idle_;
};

}  // namespace kiosk::hub
