using TIBS.Cases.Data.Stores;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// On PostgreSQL a write's statements go with positional parameters, so that the driver sends them as they are instead
/// of parsing each one on every execution: the numbering must follow the order the values are bound in.
/// </summary>
public sealed class PositionalStatementTests
{
    [Fact]
    public void Names_are_numbered_in_the_order_they_first_appear_and_a_repeated_name_keeps_its_number()
    {
        const string sql = """
            INSERT INTO notifications (id, user_id, delivery_key)
            SELECT @Id, @UserId, @DeliveryKey
            WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE delivery_key = @deliverykey AND user_id = @UserId)
            """;

        Assert.Equal("""
            INSERT INTO notifications (id, user_id, delivery_key)
            SELECT $1, $2, $3
            WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE delivery_key = $3 AND user_id = $2)
            """, StatementBatch.PositionalText(sql));
    }

    [Fact]
    public void Text_that_only_looks_like_a_parameter_is_left_alone()
    {
        Assert.Equal(
            "SELECT @@ROWCOUNT, 'broker@region.example' AS mail, $1 AS id",
            StatementBatch.PositionalText("SELECT @@ROWCOUNT, 'broker@region.example' AS mail, @id AS id"));
    }
}
