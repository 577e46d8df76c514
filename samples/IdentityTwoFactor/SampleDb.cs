using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace IdentityTwoFactor;

/// <summary>Identity's tables in SQLite, including AspNetUserTokens, where the two-factor provider keeps its challenge ids.</summary>
public sealed class SampleDb(DbContextOptions<SampleDb> options) : IdentityDbContext<IdentityUser>(options);
