#pragma once
// An allocator for large, randomly read arrays (the reference data's records and hash tables): memory
// straight from mmap, with transparent huge pages asked for (madvise), so that a lookup's few random
// reads do not each also miss the TLB. Small arrays get ordinary pages; where huge pages are off, the
// advice is ignored and this is a plain mmap allocator.
#include <cstddef>
#include <new>

#include <sys/mman.h>

namespace mynasim::onshi {

template <typename T>
struct HugePageAllocator {
    using value_type = T;
    HugePageAllocator() = default;
    template <typename U>
    HugePageAllocator(const HugePageAllocator<U>&) {}

    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        if (bytes >= huge_page_bytes) ::madvise(p, bytes, MADV_HUGEPAGE);  // advice only: failure is harmless
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) noexcept { ::munmap(p, n * sizeof(T)); }

    template <typename U>
    bool operator==(const HugePageAllocator<U>&) const { return true; }

private:
    static constexpr std::size_t huge_page_bytes = 2 * 1024 * 1024;
};

}  // namespace mynasim::onshi
